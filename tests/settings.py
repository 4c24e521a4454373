"""Settings for the test suite: the app's own, with a fast password hasher.

Argon2 costs ~0.7 s a password by design; tests create hundreds of users, so they hash with MD5.
`tests/web/test_auth.py` checks that the app's own settings still hash with Argon2.
"""

from qualitycity.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
