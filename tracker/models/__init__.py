"""The data model, one module per part of the domain."""

from tracker.models.action_taken import ActionStatus, ActionTaken
from tracker.models.award import (
    AwardCriterion,
    AwardCycle,
    AwardProgramme,
    CommitteeMember,
    ConflictDeclaration,
    CriterionScore,
    JudgeAssignment,
    Nomination,
    nomination_criteria,
)
from tracker.models.department import Department
from tracker.models.display_link import DisplayLink
from tracker.models.enums import (
    AwardDecision,
    CaseStatus,
    CyclePhase,
    FeedbackStatus,
    FeedbackType,
    NominatorType,
    OutboxStatus,
    RecognitionStatus,
    Relation,
    Role,
    Source,
    Visibility,
)
from tracker.models.feedback import Case, CaseEvent, Feedback, feedback_standards
from tracker.models.identity import ScimGroup, ScimToken, scim_group_members
from tracker.models.integration import (
    Channel,
    ChannelKind,
    DeliveryStatus,
    IntegrationDelivery,
    PostKind,
    TargetStatus,
    WebhookEndpoint,
    WebhookEvent,
)
from tracker.models.operations import ApiToken, AuditEvent, IdempotencyRecord, OutboxMessage, Setting
from tracker.models.person import Person, PersonRole, department_managers
from tracker.models.recognition import (
    Recognition,
    RecognitionRecipient,
    RecognitionReply,
    recognition_behaviors,
    recognition_standards,
)
from tracker.models.roster_upload import RosterUpload
from tracker.models.standard import Behavior, Standard
from tracker.models.types import UTCDateTime, utcnow

__all__ = [
    "ActionStatus",
    "ActionTaken",
    "WebhookEvent",
    "WebhookEndpoint",
    "TargetStatus",
    "PostKind",
    "IntegrationDelivery",
    "DeliveryStatus",
    "ChannelKind",
    "Channel",
    "AwardCriterion",
    "AwardCycle",
    "AwardDecision",
    "AwardProgramme",
    "CommitteeMember",
    "ConflictDeclaration",
    "CriterionScore",
    "CyclePhase",
    "JudgeAssignment",
    "Nomination",
    "NominatorType",
    "nomination_criteria",
    "ApiToken",
    "AuditEvent",
    "Behavior",
    "Case",
    "CaseEvent",
    "CaseStatus",
    "Department",
    "DisplayLink",
    "Feedback",
    "FeedbackStatus",
    "FeedbackType",
    "IdempotencyRecord",
    "OutboxMessage",
    "OutboxStatus",
    "Person",
    "PersonRole",
    "Recognition",
    "RecognitionRecipient",
    "RecognitionReply",
    "RecognitionStatus",
    "Relation",
    "Role",
    "RosterUpload",
    "ScimGroup",
    "ScimToken",
    "Setting",
    "Source",
    "Standard",
    "UTCDateTime",
    "Visibility",
    "department_managers",
    "feedback_standards",
    "recognition_behaviors",
    "recognition_standards",
    "scim_group_members",
    "utcnow",
]
