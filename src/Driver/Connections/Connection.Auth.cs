using Mongo.Bson;
using Mongo.Driver.Auth;

namespace Mongo.Driver.Connections;

internal sealed partial class Connection
{
    /// <summary>
    /// Runs the credential's authentication over this connection (the mechanisms live in <c>Auth/</c>) and names
    /// the user, source and server in any failure. The password never appears in a message.
    /// </summary>
    private async ValueTask AuthenticateAsync(bool async, Authenticator authenticator, BsonDocument helloReply, Deadline deadline, CancellationToken cancellationToken)
    {
        // The commands watch the deadline themselves; the token carries it into the client's own work between them
        // (SCRAM's key derivation), so a server asking for a huge iteration count cannot outlast connectTimeoutMS.
        using var timeout = deadline.IsInfinite ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout?.CancelAfter(deadline.TimeLeft);
        try
        {
            await authenticator.AuthenticateAsync(
                async,
                (database, command, a, ct) => RunAuthCommandAsync(a, database, command, deadline, cancellationToken),
                helloReply,
                timeout?.Token ?? cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && timeout is not null)
        {
            throw new MongoConnectionException("Authenticating on server " + Address + " did not finish within connectTimeoutMS ("
                + _settings.ConnectTimeout.TotalMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture) + " ms).", ex);
        }
        catch (MongoAuthenticationException ex)
        {
            MongoCredential credential = _settings.Credential!;
            string who = credential.Username is { } user
                ? "user '" + user + "' (source '" + credential.Source + "')"
                : "the client certificate's subject";
            throw new MongoAuthenticationException("Authenticating " + who + " on server " + Address + " failed: " + ex.Message, ex);
        }
    }

    /// <summary>Sends one authentication command and returns its reply, ok: 0 included (the authenticator reports it).</summary>
    private async ValueTask<BsonDocument> RunAuthCommandAsync(bool async, string database, BsonDocument command, Deadline deadline, CancellationToken cancellationToken)
    {
        var message = new WireCommand(database, command);
        CommandReply? response = await ExecuteAsync(async, message, default, deadline, cancellationToken).ConfigureAwait(false);
        return response!.Body;
    }
}
