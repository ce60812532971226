from fastapi import APIRouter, Depends

from app.services.reference import CountryService, RegionStats, get_app_country_cache, AppCountryCache

router = APIRouter()


def get_region_stats() -> RegionStats:
    return RegionStats(None)


@router.get("/countries")
def countries(svc: CountryService = Depends(CountryService)):
    return svc.countries()


@router.get("/regions/stats")
def region_stats(stats: RegionStats = Depends(get_region_stats)):
    return stats.per_country()


@router.get("/countries/cached")
def countries_cached(cache: AppCountryCache = Depends(get_app_country_cache)):
    return cache.countries()
