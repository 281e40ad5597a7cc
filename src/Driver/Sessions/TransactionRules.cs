using Mongo.Driver.Operations;

namespace Mongo.Driver.Sessions;

/// <summary>
/// The read concern, write concern and read preference an operation uses, decided when it runs (transactions spec): inside the
/// transaction of the session its handle is bound to, the transaction's rules apply; elsewhere the operation's own options,
/// else the handle's.
/// </summary>
internal static class TransactionRules
{
    /// <summary>The operation's own read concern, else the handle's; none inside a transaction, where an operation's own is refused.</summary>
    public static ReadConcern ReadConcernFor(this IOperationExecutor executor, ReadConcern? operation, ReadConcern inherited) =>
        executor is SessionBoundExecutor bound ? bound.Session.ReadConcernFor(operation, inherited) : operation ?? inherited;

    /// <summary>The operation's own write concern, else the handle's; none inside a transaction, where an operation's own is refused.</summary>
    public static WriteConcern WriteConcernFor(this IOperationExecutor executor, WriteConcern? operation, WriteConcern inherited) =>
        executor is SessionBoundExecutor bound ? bound.Session.WriteConcernFor(operation, inherited) : operation ?? inherited;

    /// <summary>The read's own read preference, else the transaction's inside one, else the handle's.</summary>
    public static ReadPreference ReadPreferenceFor(this IOperationExecutor executor, ReadPreference? operation, ReadPreference inherited) =>
        executor is SessionBoundExecutor bound ? bound.Session.ReadPreferenceFor(operation, inherited) : operation ?? inherited;
}
