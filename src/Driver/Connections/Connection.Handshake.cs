using Mongo.Bson;
using Mongo.Driver.Auth;
using Mongo.Driver.Compression;

namespace Mongo.Driver.Connections;

internal sealed partial class Connection
{
    /// <summary>How long the handshake's hello took (the monitor's first round-trip-time sample, server-monitoring spec).</summary>
    public TimeSpan HelloRoundTrip { get; private set; }

    /// <summary>
    /// Sends <c>hello</c> (OP_MSG, helloOk, client metadata, compressors, saslSupportedMechs and speculative
    /// authentication), records the server's description and negotiated compressor, then authenticates.
    /// </summary>
    private async ValueTask HandshakeAsync(bool async, Deadline deadline, CancellationToken cancellationToken)
    {
        BsonDocument hello = CreateHelloCommand(out Authenticator? authenticator);
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        BsonDocument reply = await RunHandshakeCommandAsync(async, "admin", hello, deadline, cancellationToken).ConfigureAwait(false);
        HelloRoundTrip = System.Diagnostics.Stopwatch.GetElapsedTime(start);
        Compressor? compressor = null;
        if (_settings.Compressors.Count > 0 && reply.TryGetValue("compression", out BsonValue? offered) && offered is BsonArray offeredArray)
        {
            var names = new List<string>(offeredArray.Count);
            foreach (BsonValue name in offeredArray)
            {
                if (name.IsString)
                {
                    names.Add(name.AsString);
                }
            }

            compressor = Compressors.Negotiate(_settings.Compressors, names, _settings.ZlibCompressionLevel < 0 ? 6 : _settings.ZlibCompressionLevel);
        }

        if (_settings.LoadBalanced && !reply.Contains("serviceId"))
        {
            throw new MongoClientException("The server at " + Address + " did not report a serviceId although loadBalanced=true: the driver is not connected to a load balancer.");
        }

        Description = new ConnectionDescription(reply, compressor);
        if (authenticator is not null)
        {
            await AuthenticateAsync(async, authenticator, reply, deadline, cancellationToken).ConfigureAwait(false);
        }
    }

    private BsonDocument CreateHelloCommand(out Authenticator? authenticator)
    {
        var hello = new BsonDocument { { "hello", 1 }, { "helloOk", true } };
        if (_settings.LoadBalanced)
        {
            hello.Add("loadBalanced", true);
        }

        // Handshake spec: the version of the client backpressure specification this driver follows (a string, not a number).
        hello.Add("backpressure", "2");
        hello.Add("client", _settings.ClientMetadata);
        var compression = new BsonArray();
        foreach (string name in _settings.Compressors)
        {
            compression.Add(name);
        }

        hello.Add("compression", compression);
        authenticator = _settings.Credential is { } credential ? Authenticator.Create(credential, _settings.MaxScramIterationCount) : null;
        authenticator?.CustomizeHello(hello);
        return hello;
    }

    /// <summary>Runs a handshake command; ok:0 replies throw (never compressed).</summary>
    private async ValueTask<BsonDocument> RunHandshakeCommandAsync(bool async, string database, BsonDocument command, Deadline deadline, CancellationToken cancellationToken)
    {
        var message = new WireCommand(database, command);
        CommandReply? response = await ExecuteAsync(async, message, default, deadline, cancellationToken).ConfigureAwait(false);
        ExceptionFactory.ThrowIfNotOk(response!, message.CommandName);
        return response!.Body;
    }
}
