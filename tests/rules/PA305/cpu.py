import asyncio
import bz2
import gzip
import hashlib
import json
import lzma
import pickle
import zlib
from pathlib import Path
from xml.etree import ElementTree

import bcrypt
import pandas as pd
from PIL import Image


async def login(password: str, hashed: bytes):
    return bcrypt.checkpw(password.encode(), hashed)  # expect: PA305


async def derive(password: bytes, salt: bytes):
    return hashlib.pbkdf2_hmac("sha256", password, salt, 600_000)  # expect: PA305


async def small_hash(token: str):
    return hashlib.sha256(token.encode()).hexdigest()  # ok: PA305 (tiny input)


async def load_big(path):
    raw = Path(path).read_text()  # (file IO: PA301's concern)
    data = json.loads(raw)  # expect: PA305
    return data


async def parse_body(body: bytes):
    return json.loads(body)  # ok: PA305 (a request body: cheap, not flagged)


async def compress(blob: bytes):
    a = gzip.compress(blob)  # expect: PA305
    b = zlib.decompress(a)  # expect: PA305
    c = bz2.compress(b)  # expect: PA305
    d = lzma.compress(c)  # expect: PA305
    return d


async def images(path):
    img = Image.open(path)  # expect: PA305
    return img


async def frames(path):
    return pd.read_csv(path)  # expect: PA305


async def xml(path):
    return ElementTree.parse(path)  # expect: PA305


async def unpickle(blob: bytes):
    return pickle.loads(blob)  # expect: PA305


async def offloaded(blob: bytes, password: bytes, salt: bytes):
    a = await asyncio.to_thread(gzip.compress, blob)  # ok: PA305
    b = await asyncio.to_thread(hashlib.pbkdf2_hmac, "sha256", password, salt, 1000)  # ok: PA305
    return a, b


def sync_work(blob: bytes):
    return gzip.compress(blob)  # ok: PA305 (plain def)


async def via_helper(blob: bytes):
    return sync_work(blob)  # expect: PA305
