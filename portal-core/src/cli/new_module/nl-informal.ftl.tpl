# Module {name}: the informal (je/jij) form of every Dutch message in nl.ftl
# that addresses the reader; a message missing here falls back to nl.ftl.
# Core's locale test fails when such a message has no informal form.
