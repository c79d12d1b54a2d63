"""Tables that every domain shares: events, the ledger, idempotency records, deadlines and settings."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Event(models.Model):
    """One state change, recorded in the same transaction as the change itself."""

    kind = models.CharField(max_length=64, db_index=True)
    subject_type = models.CharField(max_length=64)
    subject_id = models.BigIntegerField()
    actor_id = models.BigIntegerField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("事件")
        verbose_name_plural = pgettext_lazy("plural", "事件")
        indexes = [models.Index(fields=["subject_type", "subject_id", "at"])]
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_type}#{self.subject_id}"


class LedgerAccount(models.Model):
    """A named account: `provider_clearing`, `escrow`, `merchant:12:payable`, `platform:subsidy` ..."""

    code = models.CharField(max_length=80, unique=True)
    name = models.CharField(max_length=120)

    class Meta:
        verbose_name = _("账本账户")
        verbose_name_plural = pgettext_lazy("plural", "账本账户")

    def __str__(self) -> str:
        return self.code


class LedgerTransaction(models.Model):
    """A balanced set of entries; the unique key makes a retried operation post once."""

    idempotency_key = models.CharField(max_length=160, unique=True)
    kind = models.CharField(max_length=48, db_index=True)
    memo = models.CharField(max_length=200, blank=True)
    subject_type = models.CharField(max_length=64, blank=True)
    subject_id = models.BigIntegerField(null=True, blank=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("账本交易")
        verbose_name_plural = pgettext_lazy("plural", "账本交易")

    def __str__(self) -> str:
        return f"{self.kind} {self.idempotency_key}"


class LedgerEntry(models.Model):
    """Signed amount in fen: positive is a debit, negative a credit; a transaction's entries sum to zero."""

    transaction = models.ForeignKey(LedgerTransaction, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(LedgerAccount, on_delete=models.PROTECT, related_name="entries")
    amount_fen = models.BigIntegerField()

    class Meta:
        verbose_name = _("账本分录")
        verbose_name_plural = pgettext_lazy("plural", "账本分录")
        constraints = [models.CheckConstraint(condition=~Q(amount_fen=0), name="ledger_entry_nonzero")]


class IdempotencyRecord(models.Model):
    """The first answer to an API call made with an `Idempotency-Key`, returned again for the same key."""

    scope = models.CharField(max_length=120)
    key = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("幂等记录")
        verbose_name_plural = pgettext_lazy("plural", "幂等记录")
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="idempotency_scope_key_unique")]


class Deadline(models.Model):
    """A step that must happen by `due_at`; the worker applies the default when it passes."""

    class State(models.TextChoices):
        PENDING = "pending"
        DONE = "done"
        CANCELLED = "cancelled"
        FAILED = "failed"

    kind = models.CharField(max_length=64)
    subject_id = models.BigIntegerField()
    due_at = models.DateTimeField()
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("定时任务")
        verbose_name_plural = pgettext_lazy("plural", "定时任务")
        constraints = [models.UniqueConstraint(fields=["kind", "subject_id"], name="deadline_kind_subject_unique")]
        indexes = [models.Index(fields=["state", "due_at"], name="deadline_due_idx")]

    def __str__(self) -> str:
        return f"{self.kind}#{self.subject_id} due {self.due_at:%Y-%m-%d %H:%M} ({self.state})"


class Setting(models.Model):
    """An ops-editable override of one of the rules' default numbers (see `core.config.DEFAULTS`)."""

    key = models.CharField(max_length=80, unique=True)
    value = models.JSONField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("规则参数")
        verbose_name_plural = pgettext_lazy("plural", "规则参数")

    def __str__(self) -> str:
        return f"{self.key} = {self.value!r}"


class AuditRun(models.Model):
    """One run of every audit check by the worker, so the ops console shows the last result without running
    the whole audit on each page load. `problems` is check name -> breaches found (empty when it passes)."""

    ran_at = models.DateTimeField(db_index=True)
    problems = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("一致性检查记录")
        verbose_name_plural = pgettext_lazy("plural", "一致性检查记录")
        ordering = ["-ran_at", "-id"]

    def __str__(self) -> str:
        return f"audit {self.ran_at:%Y-%m-%d %H:%M}: {self.breaches} breach(es)"

    @property
    def breaches(self) -> int:
        return sum(len(found) for found in self.problems.values())
