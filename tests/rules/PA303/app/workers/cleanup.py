import time


async def purge_expired():
    time.sleep(2)  # expect: PA303
