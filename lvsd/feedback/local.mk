# lvsd/feedback: the weight child's feedback in the parent: what each
# proposal rests on (lvsctl weights) and the history file of applied
# weight changes.
noinst_LIBRARIES += lvsd/feedback/libfeedback.a
lvsd_feedback_libfeedback_a_SOURCES = lvsd/feedback/feedback.c lvsd/feedback/feedback.h
lvsd_feedback_libfeedback_a_CFLAGS = $(AM_CFLAGS) $(EVENT_CFLAGS) $(YAML_CFLAGS)
