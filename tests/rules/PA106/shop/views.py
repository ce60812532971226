from django.http import JsonResponse
from django.views import View

from .models import Currency


class CurrencyView(View):
    _rates_cache = None

    def get(self, request):
        if self._rates_cache is None:
            self._rates_cache = {c.code: c.rate for c in Currency.objects.all()}  # expect: PA106
        return JsonResponse(self._rates_cache)


class MyCurrencyView(View):
    def get(self, request):
        self._mine_cache = list(Currency.objects.filter(code=request.GET["code"]))  # ok: PA106 (request-specific)
        return JsonResponse({"n": len(self._mine_cache)})
