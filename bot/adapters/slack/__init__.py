"""The Slack adapter: slack-bolt in Socket Mode or HTTP mode.

``translate`` turns Slack payloads into neutral inputs, ``render`` turns neutral
outputs into Block Kit, ``app`` wires a Bolt ``App`` through ``register`` functions,
``deliver`` is the outbox's deliverer and ``main`` builds it all. Nothing here is
imported by the core.
"""
