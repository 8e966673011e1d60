"""Adapters: each turns one platform into neutral inputs and renders neutral outputs."""
