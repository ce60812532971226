DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "app",
        "ATOMIC_REQUESTS": True,
    }
}
