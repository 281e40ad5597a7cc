namespace Mongo.Driver.Connections;

/// <summary>An OP_MSG kind-1 section to send: identifier ("documents", "updates", "deletes") and pre-encoded BSON documents.</summary>
internal sealed record CommandSequence(string Identifier, IReadOnlyList<ReadOnlyMemory<byte>> Documents);
