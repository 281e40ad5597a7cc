using Mongo.Bson;

namespace Mongo.Driver.Auth;

/// <summary>Mechanism names and the auth spec's default-mechanism negotiation.</summary>
internal static class AuthMechanisms
{
    public const string ScramSha1 = "SCRAM-SHA-1";
    public const string ScramSha256 = "SCRAM-SHA-256";
    public const string X509 = "MONGODB-X509";

    /// <summary>The <c>saslSupportedMechs</c> value to put in hello: <c>&lt;source&gt;.&lt;username&gt;</c>, the user name exactly as given.</summary>
    public static string SaslSupportedMechsArgument(string source, string username) => source + "." + username;

    /// <summary>
    /// Chooses a mechanism when the user gave none: SCRAM-SHA-256 when the hello reply's
    /// <c>saslSupportedMechs</c> lists it, otherwise SCRAM-SHA-1 (also when the field is absent). Unknown
    /// entries and a malformed field are ignored, never an error (handshake spec).
    /// </summary>
    public static string SelectDefault(BsonValue? saslSupportedMechs)
    {
        if (saslSupportedMechs is BsonArray mechanisms)
        {
            foreach (BsonValue mechanism in mechanisms)
            {
                if (mechanism is BsonString { Value: ScramSha256 })
                {
                    return ScramSha256;
                }
            }
        }

        return ScramSha1;
    }

    /// <summary>As <see cref="SelectDefault(BsonValue?)"/>, from a hello reply document.</summary>
    public static string SelectDefault(BsonDocument helloReply) =>
        SelectDefault(helloReply.GetValueOrDefault("saslSupportedMechs"));
}
