from flask import Flask, g

from legacy.models import Setting

app = Flask(__name__)


@app.before_request
def load_settings():
    g.settings = Setting.query.all()  # expect: PA106
    g.request_id = make_request_id()  # ok: PA106 (not a query)


def make_request_id():
    return "x"
