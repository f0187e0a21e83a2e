"""Loaded by pytest before any test module: the suite runs with the secret key in the environment, as production
does, so that nothing it runs (`junheng setup` included) writes var/secret_key."""

import os
import secrets

os.environ.setdefault("JUNHENG_SECRET_KEY", secrets.token_urlsafe(50))
