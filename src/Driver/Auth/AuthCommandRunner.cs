using Mongo.Bson;

namespace Mongo.Driver.Auth;

/// <summary>
/// Runs one authentication command on the connection being authenticated and returns the reply document
/// (ok: 0 replies may be returned or thrown). With <paramref name="async"/> false it must complete
/// synchronously, so authenticators have one code path for both modes.
/// </summary>
internal delegate ValueTask<BsonDocument> AuthCommandRunner(string database, BsonDocument command, bool async, CancellationToken cancellationToken);
