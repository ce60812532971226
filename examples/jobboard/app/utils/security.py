"""Password hashing and bearer tokens.

Password hashing is deliberately slow (PBKDF2, ~300k rounds): callers in
async code must run it in a thread.
"""
import base64
import hashlib
import hmac
import time

from app.config import settings

TOKEN_TTL_SECONDS = 12 * 3600


def hash_password(password: str, salt: bytes) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt, settings.pbkdf2_rounds)


def verify_password(password: str, salt: bytes, expected: bytes) -> bool:
    return hmac.compare_digest(hash_password(password, salt), expected)


def _sign(message: bytes) -> str:
    digest = hmac.new(settings.secret_key.encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def sign_token(user_id: int) -> str:
    message = f"{user_id}:{int(time.time()) + TOKEN_TTL_SECONDS}"
    return f"{message}:{_sign(message.encode())}"


def read_token(token: str) -> int | None:
    """Return the user id of a valid, unexpired token, else None."""
    try:
        user_id, expires, signature = token.split(":")
    except ValueError:
        return None
    if not hmac.compare_digest(_sign(f"{user_id}:{expires}".encode()), signature):
        return None
    if int(expires) < time.time():
        return None
    return int(user_id)
