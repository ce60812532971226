import asyncio
import io
import os
import os.path
import shutil
import socket
import sqlite3
import subprocess
import urllib.request
from pathlib import Path
from subprocess import run

import aiofiles
import httpx
import requests
import requests as r


async def fetch_profile(user_id):
    resp = requests.get(f"https://api.example.com/users/{user_id}")  # expect: PA301
    r.post("https://api.example.com/events", json={"u": user_id})  # expect: PA301
    with urllib.request.urlopen("https://example.com") as fh:  # expect: PA301
        fh.read()  # ok: PA301 (same problem as the urlopen above, reported once)
    httpx.get("https://example.com")  # expect: PA301
    async with httpx.AsyncClient() as client:  # ok: PA301
        await client.get("https://example.com")  # ok: PA301
    return resp.json()


async def files(path):
    with open(path) as f:  # expect: PA301
        data = f.read()  # ok: PA301 (reported at open)
    io.open(path)  # expect: PA301
    Path(path).read_text()  # expect: PA301
    os.remove(path)  # expect: PA301
    os.listdir(".")  # expect: PA301
    os.path.exists(path)  # expect: PA301
    shutil.copy(path, path + ".bak")  # expect: PA301
    os.path.join("a", "b")  # ok: PA301 (pure string work)
    async with aiofiles.open(path) as af:  # ok: PA301
        await af.read()  # ok: PA301
    return data


async def processes(cmd):
    subprocess.run(cmd)  # expect: PA301
    run(["ls"])  # expect: PA301
    subprocess.check_output(["git", "status"])  # expect: PA301
    os.system("echo hi")  # expect: PA301
    proc = await asyncio.create_subprocess_exec("ls")  # ok: PA301
    await proc.wait()  # ok: PA301


async def database():
    conn = sqlite3.connect("app.db")  # expect: PA301
    return conn


async def sockets(host):
    s = socket.create_connection((host, 80))  # expect: PA301
    return s


async def ask():
    return input("name? ")  # expect: PA301


async def offloaded(path):
    text = await asyncio.to_thread(Path(path).read_text)  # ok: PA301
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, lambda: requests.get("https://example.com"))  # ok: PA301
    await asyncio.to_thread(subprocess.run, ["ls"])  # ok: PA301
    return text


def sync_code(path):
    requests.get("https://example.com")  # ok: PA301 (plain def)
    return open(path).read()  # ok: PA301


async def nested_offload(path):
    def load():
        with open(path) as f:  # ok: PA301 (runs in a worker thread)
            return f.read()  # ok: PA301

    return await asyncio.to_thread(load)  # ok: PA301
