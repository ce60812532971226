import time
async def h():
    time.sleep(1)
x = 1
