"""Tests of the Discord adapter over the real discord.py and a fake REST API."""
