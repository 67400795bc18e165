/// The order of one message's outbox jobs of one kind, the same on both backends.
///
/// A message's jobs of one kind run one at a time, in the order they were queued: a job is not claimed while an older
/// job of its message and kind is still in the table — due, leased by any instance, or waiting for a retry. So a
/// receiver's status receipts go out in the order they happened (MOTTATT's transfer is published before LEVERT's is
/// begun), and the sender records them in that order; claimed together, they raced, and the sender now and then
/// recorded LEVERT first. Jobs of different kinds stay independent: a push to the archive system does not wait for
/// a receipt to the sender, whose channel may be down.
enum OutboxOrder {
    /// A condition for the claim's `WHERE` clause, the candidate row named `j`.
    static let noOlderJobOfItsMessageAndKind = """

          AND NOT EXISTS (SELECT 1 FROM outbox_job o
                          WHERE o.message_id = j.message_id AND o.kind = j.kind AND o.id < j.id)
        """
}
