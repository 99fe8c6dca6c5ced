"""Command handlers: validate -> load -> decide (domain) -> save, in one transaction."""
