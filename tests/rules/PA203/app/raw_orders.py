import asyncpg


async def create_order_raw(conn: asyncpg.Connection, customer: str, skus: list) -> int:
    order_id = await conn.fetchval("INSERT INTO orders (customer) VALUES ($1) RETURNING id", customer)  # expect: PA203
    for sku in skus:
        await conn.execute("INSERT INTO order_items (order_id, sku) VALUES ($1, $2)", order_id, sku)
    return order_id


async def create_order_raw_tx(conn: asyncpg.Connection, customer: str, skus: list) -> int:
    async with conn.transaction():
        order_id = await conn.fetchval("INSERT INTO orders (customer) VALUES ($1) RETURNING id", customer)  # ok: PA203
        for sku in skus:
            await conn.execute("INSERT INTO order_items (order_id, sku) VALUES ($1, $2)", order_id, sku)
    return order_id


async def log_visits(conn: asyncpg.Connection, customer: str, page: str) -> None:
    await conn.execute("INSERT INTO visits (customer, page) VALUES ($1, $2)", customer, page)  # ok: PA203 (unrelated rows)
    await conn.execute("INSERT INTO page_hits (page) VALUES ($1)", page)
