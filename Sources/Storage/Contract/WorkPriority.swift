/// Whether the current task does background work (the outbox, pollers, sweepers, webhooks) rather than answer a
/// caller. Background services set it for their whole task tree; a store that has to make callers wait for a
/// connection serves those who are not background first.
public enum WorkPriority {
    @TaskLocal public static var isBackground = false
}
