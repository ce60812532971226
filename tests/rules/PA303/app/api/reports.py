import asyncio

from fastapi import APIRouter

from app.services import reporting
from app.services.reporting import build_report, build_report_async, report_delay

router = APIRouter()


@router.get("/reports/{job_id}")
async def get_report(job_id: int):
    report = build_report(job_id)  # expect: PA303
    return report


@router.get("/reports/{job_id}/module")
async def get_report_via_module(job_id: int):
    return reporting.build_report(job_id)  # expect: PA303


@router.get("/reports/{job_id}/offloaded")
async def get_report_offloaded(job_id: int):
    return await asyncio.to_thread(build_report, job_id)  # ok: PA303


@router.get("/reports/{job_id}/fast")
async def get_report_fast(job_id: int):
    delay = report_delay(2)  # ok: PA303 (no sleep down this chain)
    report = await build_report_async(job_id)  # ok: PA303
    return {"report": report, "delay": delay}
