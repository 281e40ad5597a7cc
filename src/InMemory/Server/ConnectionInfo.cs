using System.Net;
using Mongo.Bson;
using Mongo.InMemory.Auth;
using Mongo.InMemory.Wire;

namespace Mongo.InMemory.Server;

/// <summary>What the server knows about one client connection (read by command handlers and fail points).</summary>
internal sealed class ConnectionInfo
{
    public required int Id { get; init; }

    public EndPoint? RemoteEndPoint { get; init; }

    /// <summary>client.application.name from the handshake, which failCommand's appName filter matches.</summary>
    public string? AppName { get; set; }

    /// <summary>The client metadata document from the first hello, if any.</summary>
    public BsonDocument? ClientMetadata { get; set; }

    /// <summary>The compressors agreed on in the handshake, in the client's order.</summary>
    public IReadOnlyList<CompressorId> Compressors { get; set; } = [];

    /// <summary>The SCRAM exchange in progress, if any.</summary>
    public ScramConversation? Conversation { get; set; }

    /// <summary>
    /// The subject (RFC 2253, as MongoDB formats it) of the certificate the client presented in the TLS handshake;
    /// null without TLS or without a client certificate. MONGODB-X509 authenticates as this user.
    /// </summary>
    public string? ClientCertificateSubject { get; set; }

    /// <summary>The authenticated user ("db.user"), or null.</summary>
    public string? AuthenticatedUser { get; set; }

    /// <summary>Set by the handshake: the client sent helloOk, so it understands "hello".</summary>
    public bool HelloOk { get; set; }
}
