from django.db import models


class Entry(models.Model):
    amount = models.IntegerField()
    state = models.CharField(max_length=20)
