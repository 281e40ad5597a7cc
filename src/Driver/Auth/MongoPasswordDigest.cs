using System.Security.Cryptography;
using System.Text;

namespace Mongo.Driver.Auth;

/// <summary>
/// The "mongo hashed password" that SCRAM-SHA-1 uses in place of the plain password:
/// lowercase hex of MD5(UTF-8(username + ":mongo:" + password)), neither part SASLprep'd.
/// </summary>
internal static class MongoPasswordDigest
{
    public static string Compute(string username, string password)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(username + ":mongo:" + password);
#pragma warning disable CA5351 // MD5 is what the protocol defines here; it is not used for security on its own.
        byte[] digest = MD5.HashData(utf8);
#pragma warning restore CA5351
        CryptographicOperations.ZeroMemory(utf8);
        return Convert.ToHexString(digest).ToLowerInvariant();
    }
}
