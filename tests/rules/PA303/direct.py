import asyncio
import time
import time as t
from time import sleep
from time import sleep as nap


async def poll_status(client):
    time.sleep(0.5)  # expect: PA303
    t.sleep(1)  # expect: PA303
    sleep(2)  # expect: PA303
    nap(3)  # expect: PA303
    await asyncio.sleep(1)  # ok: PA303


def sync_poll():
    time.sleep(1)  # ok: PA303 (plain def: no event loop here)


async def offloaded():
    await asyncio.to_thread(time.sleep, 1)  # ok: PA303
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, lambda: time.sleep(1))  # ok: PA303


async def nested_def_handed_to_thread():
    def work():
        time.sleep(1)  # ok: PA303 (runs in a worker thread)

    await asyncio.to_thread(work)  # ok: PA303


async def nested_def_called_inline():
    def work():
        time.sleep(1)  # ok: PA303 (reported where it is called)

    work()  # expect: PA303


class Poller:
    async def run(self):
        while True:
            time.sleep(5)  # expect: PA303

    def run_sync(self):
        time.sleep(5)  # ok: PA303

    async def via_method(self):
        self.run_sync()  # expect: PA303


async def agen():
    for i in range(3):
        time.sleep(0.1)  # expect: PA303
        yield i


async def shadowed():
    sleep = asyncio.sleep
    await sleep(1)  # ok: PA303 (local name bound to asyncio.sleep)
