import psycopg2
import requests


def sync_stock(dsn: str, sku: str) -> None:
    conn = psycopg2.connect(dsn)
    cur = conn.cursor()
    cur.execute("UPDATE stock SET reserved = reserved + 1 WHERE sku = %s", (sku,))
    requests.get("https://warehouse.example.com/stock/" + sku)  # expect: PA202
    conn.commit()
    conn.close()
