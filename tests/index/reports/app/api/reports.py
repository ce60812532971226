import asyncio

from fastapi import APIRouter

from app.services import build_report

router = APIRouter()


@router.get("/reports/{report_id}")
async def get_report(report_id: int):
    return build_report(report_id)


@router.get("/reports/{report_id}/offloaded")
async def get_report_offloaded(report_id: int):
    return await asyncio.to_thread(build_report, report_id)
