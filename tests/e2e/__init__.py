"""End to end: the app served and driven in headless Chromium (sign-in, SMTP, nginx)."""
