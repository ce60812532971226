import httpx


class BillingClient:
    def __init__(self, base_url):
        self.base_url = base_url
        self.http = httpx.Client(base_url=base_url)  # ok: PA301 (constructor, no IO)

    def charge(self, account, cents):
        return self.http.post("/charge", json={"account": account, "cents": cents})  # ok: PA301 (sync method)

    def url_for(self, path):
        return self.base_url + path
