using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Mongo.InMemory.Auth;

/// <summary>
/// Formats a certificate's subject as MongoDB names X.509 users: RFC 2253 (most specific RDN first,
/// <c>,</c> between RDNs, <c>+</c> inside a multi-valued RDN, OpenSSL's short attribute names, RFC 2253
/// escaping, non-ASCII characters kept as they are), e.g. <c>CN=client,OU=Drivers,O=MongoDB,C=US</c>.
/// .NET's own <see cref="X500DistinguishedName.Name"/> differs (", " separators, <c>S=</c> for the state, <c>E=</c> for e-mail).
/// </summary>
internal static class X509Subject
{
    private static readonly Dictionary<string, string> s_shortNames = new(StringComparer.Ordinal)
    {
        ["2.5.4.3"] = "CN",
        ["2.5.4.4"] = "SN",
        ["2.5.4.5"] = "serialNumber",
        ["2.5.4.6"] = "C",
        ["2.5.4.7"] = "L",
        ["2.5.4.8"] = "ST",
        ["2.5.4.9"] = "street",
        ["2.5.4.10"] = "O",
        ["2.5.4.11"] = "OU",
        ["2.5.4.12"] = "title",
        ["2.5.4.17"] = "postalCode",
        ["2.5.4.42"] = "GN",
        ["2.5.4.43"] = "initials",
        ["2.5.4.44"] = "generationQualifier",
        ["2.5.4.46"] = "dnQualifier",
        ["2.5.4.65"] = "pseudonym",
        ["0.9.2342.19200300.100.1.1"] = "UID",
        ["0.9.2342.19200300.100.1.25"] = "DC",
        ["1.2.840.113549.1.9.1"] = "emailAddress",
    };

    /// <summary>The RFC 2253 form of <paramref name="certificate"/>'s subject.</summary>
    public static string Format(X509Certificate2 certificate) => Format(certificate.SubjectName);

    /// <summary>The RFC 2253 form of a distinguished name.</summary>
    /// <exception cref="CryptographicException">The name is not valid DER.</exception>
    public static string Format(X500DistinguishedName name)
    {
        try
        {
            var rdns = new List<string>();
            var reader = new AsnReader(name.RawData, AsnEncodingRules.DER);
            AsnReader sequence = reader.ReadSequence();
            while (sequence.HasData)
            {
                AsnReader set = sequence.ReadSetOf();
                var rdn = new StringBuilder();
                while (set.HasData)
                {
                    AsnReader attribute = set.ReadSequence();
                    string oid = attribute.ReadObjectIdentifier();
                    if (rdn.Length > 0)
                    {
                        rdn.Append('+');
                    }

                    rdn.Append(s_shortNames.TryGetValue(oid, out string? shortName) ? shortName : oid).Append('=');
                    AppendValue(rdn, attribute);
                }

                rdns.Add(rdn.ToString());
            }

            rdns.Reverse(); // DER lists the root first; RFC 2253 the most specific first.
            return string.Join(',', rdns);
        }
        catch (AsnContentException ex)
        {
            throw new CryptographicException("The certificate subject is not a valid distinguished name.", ex);
        }
    }

    private static void AppendValue(StringBuilder builder, AsnReader attribute)
    {
        Asn1Tag tag = attribute.PeekTag();
        UniversalTagNumber? type = tag.TagClass == TagClass.Universal ? (UniversalTagNumber)tag.TagValue : null;
        if (type is UniversalTagNumber.UTF8String or UniversalTagNumber.PrintableString or UniversalTagNumber.IA5String
            or UniversalTagNumber.T61String or UniversalTagNumber.BMPString or UniversalTagNumber.UniversalString
            or UniversalTagNumber.NumericString or UniversalTagNumber.VisibleString)
        {
            Escape(builder, attribute.ReadCharacterString(type.Value));
            return;
        }

        // Any other type: '#' and the hex of its DER encoding (RFC 2253 section 2.4).
        builder.Append('#').Append(Convert.ToHexString(attribute.ReadEncodedValue().Span).ToLowerInvariant());
    }

    private static void Escape(StringBuilder builder, string value)
    {
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            bool escape = c is ',' or '+' or '"' or '\\' or '<' or '>' or ';'
                || (i == 0 && c is '#' or ' ')
                || (i == value.Length - 1 && c == ' ');
            if (escape)
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }
    }
}
