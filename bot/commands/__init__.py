"""Command families, one module each; ``bot.registry.discover`` finds them."""
