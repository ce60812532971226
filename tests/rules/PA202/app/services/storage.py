import boto3

from app.db import SessionLocal
from app.models import Order
from app.protos import fulfilment_pb2, fulfilment_pb2_grpc

s3 = boto3.client("s3")


def archive_receipt(order_id: int) -> None:
    with SessionLocal.begin() as session:
        order = session.get(Order, order_id)
        order.status = "archived"
        s3.put_object(Bucket="receipts", Key=str(order_id), Body=order.receipt.encode())  # expect: PA202


def archive_after(order_id: int) -> None:
    with SessionLocal.begin() as session:
        order = session.get(Order, order_id)
        order.status = "archived"
        body = order.receipt.encode()
    s3.put_object(Bucket="receipts", Key=str(order_id), Body=body)  # ok: PA202 (after the block committed)


class FulfilmentClient:
    def __init__(self, channel) -> None:
        self.stub = fulfilment_pb2_grpc.FulfilmentStub(channel)

    def ship(self, session, order_id: int) -> None:
        order = session.get(Order, order_id)
        order.status = "shipping"
        self.stub.Ship(fulfilment_pb2.ShipRequest(order_id=order_id))  # expect: PA202
        session.commit()
