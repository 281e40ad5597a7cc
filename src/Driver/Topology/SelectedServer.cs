namespace Mongo.Driver.Topology;

/// <summary>
/// A server chosen by selection, with the description it was chosen by. The server's live description may change the
/// moment after (another operation's error marks it Unknown); what the operation decides from the selection (whether a
/// write is retryable, the server type a transaction records) must use the description that was selected.
/// </summary>
internal readonly record struct SelectedServer(Server Server, ServerDescription Description);
