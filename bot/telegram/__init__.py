"""The Telegram layer: translates updates into calls of the domain and back."""
