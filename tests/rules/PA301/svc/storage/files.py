import json


def load_settings(path):
    with open(path) as f:  # ok: PA301 (sync helper; reported at the async caller)
        return json.load(f)


def settings_path(name):
    return f"/etc/svc/{name}.json"
