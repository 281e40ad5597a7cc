using Mongo.Bson;
using Mongo.InMemory.Wire;

namespace Mongo.InMemory.Commands.Admin;

/// <summary>hello / isMaster: the handshake and monitoring command, answered like a MongoDB 8.0 server.</summary>
internal sealed partial class HelloCommand : ICommandHandler
{
    public const int MaxWireVersion = 25; // MongoDB 8.0
    public const int MaxBsonObjectSize = 16 * 1024 * 1024;
    public const int MaxWriteBatchSize = 100_000;

    /// <summary>Keeps the first hello's client metadata (and its application name) on the connection.</summary>
    public static void RecordClientMetadata(BsonDocument command, Server.ConnectionInfo connection)
    {
        if (connection.ClientMetadata is null && command.TryGetValue("client", out BsonValue? client) && client.IsDocument)
        {
            connection.ClientMetadata = client.AsDocument;
            if (client.AsDocument.TryGetValue("application", out BsonValue? app) && app.IsDocument
                && app.AsDocument.TryGetValue("name", out BsonValue? appName) && appName.IsString)
            {
                connection.AppName = appName.AsString;
            }
        }
    }

    /// <summary>
    /// A real server answers a speculative exchange only when the user has that mechanism; the driver then
    /// negotiates another mechanism from saslSupportedMechs instead.
    /// </summary>
    private static bool SpeculativeUserExists(Server.ServerState state, string database, BsonDocument start, string mechanism)
    {
        if (!start.TryGetValue("payload", out BsonValue? p) || p.BsonType != BsonType.Binary)
        {
            return false;
        }

        string text = System.Text.Encoding.UTF8.GetString(p.AsBsonBinaryData.Bytes);
        int at = text.IndexOf(",n=", StringComparison.Ordinal);
        if (at < 0)
        {
            return false;
        }

        int end = text.IndexOf(',', at + 3);
        string user = (end < 0 ? text[(at + 3)..] : text[(at + 3)..end])
            .Replace("=2C", ",", StringComparison.Ordinal).Replace("=3D", "=", StringComparison.Ordinal);
        return state.Users.Find(database, user, mechanism) is not null;
    }

    public IReadOnlyList<string> Names { get; } = ["hello", "isMaster", "ismaster"];

    public BsonDocument Execute(CommandContext context)
    {
        BsonDocument command = context.Command;
        var state = context.Server;
        var connection = context.Connection;

        RecordClientMetadata(command, connection);

        bool helloOk = command.TryGetValue("helloOk", out BsonValue? ok) && ok.ToBoolean();
        if (helloOk)
        {
            connection.HelloOk = true;
        }

        var reply = new BsonDocument();
        if (helloOk)
        {
            reply.Add("helloOk", true);
        }

        if (state.Replication is Server.Replication.ReplicaMember member)
        {
            AppendReplicaSetFields(reply, member, context.CommandName);
        }
        else
        {
            reply.Add(context.CommandName == "hello" ? "isWritablePrimary" : "ismaster", true);
            reply.Add("topologyVersion", new BsonDocument
            {
                { "processId", state.ProcessId },
                { "counter", new BsonInt64(0) },
            });
        }

        if (state.IsRouter)
        {
            reply.Add("msg", "isdbgrid");
            if (state.Options.LoadBalanced && command.TryGetValue("loadBalanced", out BsonValue? lb) && lb.ToBoolean())
            {
                reply.Add("serviceId", state.ServiceId);
            }
        }

        reply.Add("maxBsonObjectSize", MaxBsonObjectSize);
        reply.Add("maxMessageSizeBytes", state.Options.MaxMessageSizeBytes);
        reply.Add("maxWriteBatchSize", MaxWriteBatchSize);
        reply.Add("localTime", new BsonDateTime(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        reply.Add("logicalSessionTimeoutMinutes", 30);
        reply.Add("connectionId", connection.Id);
        reply.Add("minWireVersion", 0);
        reply.Add("maxWireVersion", MaxWireVersion);
        reply.Add("readOnly", false);

        if (command.TryGetValue("saslSupportedMechs", out BsonValue? mechsFor) && mechsFor.IsString)
        {
            string qualified = mechsFor.AsString;
            int dot = qualified.IndexOf('.', StringComparison.Ordinal);
            InMemoryMongoUser? user = dot > 0 ? state.Users.FindUser(qualified[..dot], qualified[(dot + 1)..]) : null;
            if (user is not null)
            {
                var mechanisms = new BsonArray();
                foreach (string mechanism in user.Mechanisms)
                {
                    mechanisms.Add(mechanism);
                }

                reply.Add("saslSupportedMechs", mechanisms);
            }
        }

        if (command.TryGetValue("speculativeAuthenticate", out BsonValue? speculative) && speculative.IsDocument)
        {
            BsonDocument start = speculative.AsDocument;
            string mechanism = start.TryGetValue("mechanism", out BsonValue? m) && m.IsString ? m.AsString : string.Empty;
            string database = start.TryGetValue("db", out BsonValue? db) && db.IsString ? db.AsString : "admin";
            byte[] payload = start.TryGetValue("payload", out BsonValue? p) && p.BsonType == BsonType.Binary ? p.AsBsonBinaryData.Bytes : [];
            try
            {
                // A speculative exchange that cannot start is simply not answered; the client then authenticates normally.
                if (mechanism is "SCRAM-SHA-1" or "SCRAM-SHA-256"
                    && SpeculativeUserExists(state, database, start, mechanism)
                    && AdminCommands.StartConversation(state, connection, database, mechanism, payload) is BsonDocument first)
                {
                    reply.Add("speculativeAuthenticate", first);
                }
                else if (mechanism == InMemoryMongoUser.X509Mechanism && start.Contains("authenticate"))
                {
                    reply.Add("speculativeAuthenticate", AdminCommands.AuthenticateX509(state, connection, database, start));
                }
            }
            catch (CommandException)
            {
                // Same: fall back to a normal saslStart.
            }
        }

        if (command.TryGetValue("compression", out BsonValue? requested) && requested.IsArray)
        {
            var agreed = new List<CompressorId>();
            var names = new BsonArray();
            foreach (BsonValue value in requested.AsArray)
            {
                // The client's order is its preference; keep it, dropping what the server does not allow.
                if (value.IsString && state.Options.Compressors.Contains(value.AsString)
                    && Compression.TryParseName(value.AsString, out CompressorId id) && id != CompressorId.Noop && !agreed.Contains(id))
                {
                    agreed.Add(id);
                    names.Add(value.AsString);
                }
            }

            connection.Compressors = agreed;
            if (names.Count > 0)
            {
                reply.Add("compression", names);
            }
        }

        return reply;
    }
}
