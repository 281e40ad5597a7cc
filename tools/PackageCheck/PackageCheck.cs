// Checks the packages `dotnet pack` wrote: run as `dotnet run tools/PackageCheck/PackageCheck.cs -- <folder> [--deterministic]`
// (build.ps1 does, in its test and pack targets). Every .nupkg must carry its metadata and its own README, library
// packages both target frameworks, the tool package its command; with --deterministic (a CI build) no PDB or DLL may
// name a path of the build machine, and every PDB must embed its sources. Prints one line per check and a summary
// line "packages: N passed, M failed"; exits 1 when a check failed.
using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;

if (args.Length == 0 || !Directory.Exists(args[0]))
{
    Console.Error.WriteLine("usage: PackageCheck <folder with .nupkg and .snupkg files> [--deterministic]");
    return 2;
}

string folder = args[0];
bool deterministic = args.Contains("--deterministic");
var checker = new Checker();
var packages = Directory.GetFiles(folder, "*.nupkg").Order(StringComparer.Ordinal).ToList();
checker.Check("packages found", packages.Count > 0, folder);
foreach (string package in packages)
{
    checker.CheckPackage(package, deterministic);
}

if (!deterministic)
{
    Console.WriteLine("skipped: the PDB path checks (not a CI build: pass --deterministic after building with ContinuousIntegrationBuild=true)");
}

Console.WriteLine($"packages: {checker.Passed} passed, {checker.Failed} failed");
return checker.Failed == 0 ? 0 : 1;

internal sealed class Checker
{
    // The GUID of embedded source blobs in a portable PDB's custom debug information.
    private static readonly Guid s_embeddedSource = new("0E8A571B-6926-466E-B4AD-8AB04611F5FE");

    public int Passed { get; private set; }

    public int Failed { get; private set; }

    public void Check(string what, bool ok, string detail = "")
    {
        if (ok)
        {
            Passed++;
            Console.WriteLine("ok: " + what);
        }
        else
        {
            Failed++;
            Console.WriteLine("FAILED: " + what + (detail.Length > 0 ? " (" + detail + ")" : ""));
        }
    }

    public void CheckPackage(string path, bool deterministic)
    {
        string name = Path.GetFileName(path);
        using var zip = ZipFile.OpenRead(path);
        var nuspecEntry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/'));
        XDocument nuspec;
        using (var stream = nuspecEntry.Open())
        {
            nuspec = XDocument.Load(stream);
        }

        var metadata = nuspec.Root!.Elements().First(e => e.Name.LocalName == "metadata");
        string Meta(string element) => metadata.Elements().FirstOrDefault(e => e.Name.LocalName == element)?.Value ?? "";
        var repository = metadata.Elements().FirstOrDefault(e => e.Name.LocalName == "repository");
        string id = Meta("id");
        bool isTool = metadata.Elements().Any(e => e.Name.LocalName == "packageTypes" && e.Elements().Any(t => (string?)t.Attribute("name") == "DotnetTool"));

        Check(name + ": description", Meta("description").Length > 20);
        Check(name + ": license expression", metadata.Elements().Any(e => e.Name.LocalName == "license" && (string?)e.Attribute("type") == "expression" && e.Value.Length > 0));
        Check(name + ": project URL", Meta("projectUrl").StartsWith("https://", StringComparison.Ordinal), Meta("projectUrl"));
        Check(name + ": repository URL", ((string?)repository?.Attribute("url") ?? "").StartsWith("https://", StringComparison.Ordinal));
        Check(name + ": tags", Meta("tags").Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= 3, Meta("tags"));
        Check(name + ": release notes", Meta("releaseNotes").Length > 0);
        Check(name + ": authors", Meta("authors").Length > 0);

        // A dependency on one of our packages must pass on its analyzers and build files: Mongo.Bson's carry the
        // [BsonSerializable] generator and the AOT feature switch, which a user of Mongo.Driver alone must get too.
        foreach (var dependency in metadata.Descendants().Where(e => e.Name.LocalName == "dependency" && ((string?)e.Attribute("id") ?? "").StartsWith("Mongo.", StringComparison.Ordinal)))
        {
            string exclude = (string?)dependency.Attribute("exclude") ?? "";
            Check(name + ": dependency " + (string?)dependency.Attribute("id") + " flows its analyzers and build files",
                !exclude.Contains("Analyzers", StringComparison.OrdinalIgnoreCase) && !exclude.Contains("Build", StringComparison.OrdinalIgnoreCase), "exclude=" + exclude);
        }

        string readmeName = Meta("readme");
        var readme = readmeName.Length > 0 ? zip.GetEntry(readmeName) : null;
        Check(name + ": README in the package", readme is not null, readmeName);
        if (readme is not null)
        {
            using var reader = new StreamReader(readme.Open());
            string text = reader.ReadToEnd();
            string install = isTool ? "dotnet tool install -g " + id : "dotnet add package " + id;
            Check(name + ": README is the package's own (install line)", text.Contains(install, StringComparison.Ordinal), install);
            Check(name + ": README has an example", text.Contains("```csharp", StringComparison.Ordinal) || (isTool && text.Contains("```bash", StringComparison.Ordinal)));
            Check(name + ": README links to docs", text.Contains("/docs/", StringComparison.Ordinal));
        }

        var entries = zip.Entries.Select(e => e.FullName).ToList();
        if (isTool)
        {
            Check(name + ": tool settings", entries.Any(e => e.StartsWith("tools/", StringComparison.Ordinal) && e.EndsWith("DotnetToolSettings.xml", StringComparison.Ordinal)));
            Check(name + ": no lib/ folder", !entries.Any(e => e.StartsWith("lib/", StringComparison.Ordinal)));
        }
        else
        {
            foreach (string tfm in new[] { "net8.0", "net10.0" })
            {
                Check(name + ": lib/" + tfm, entries.Contains("lib/" + tfm + "/" + id + ".dll"));
                Check(name + ": lib/" + tfm + " XML docs", entries.Contains("lib/" + tfm + "/" + id + ".xml"));
            }

            string symbols = Path.ChangeExtension(path, ".snupkg");
            Check(name + ": symbol package", File.Exists(symbols));
            if (File.Exists(symbols) && deterministic)
            {
                using var symbolZip = ZipFile.OpenRead(symbols);
                foreach (var pdb in symbolZip.Entries.Where(e => e.FullName.EndsWith(".pdb", StringComparison.Ordinal)))
                {
                    CheckPdb(name + ": " + pdb.FullName, pdb);
                }
            }
        }

        if (deterministic)
        {
            foreach (var dll in zip.Entries.Where(e => e.FullName.EndsWith(".dll", StringComparison.Ordinal) && e.FullName.Contains(id, StringComparison.Ordinal)))
            {
                CheckDll(name + ": " + dll.FullName, dll);
            }
        }
    }

    private void CheckPdb(string what, ZipArchiveEntry entry)
    {
        using var stream = new MemoryStream();
        using (var source = entry.Open())
        {
            source.CopyTo(stream);
        }

        stream.Position = 0;
        using var provider = MetadataReaderProvider.FromPortablePdbStream(stream);
        var reader = provider.GetMetadataReader();
        var local = new List<string>();
        int documents = 0, embedded = 0;
        foreach (var handle in reader.Documents)
        {
            documents++;
            string document = reader.GetString(reader.GetDocument(handle).Name);
            if (!document.StartsWith("/_/", StringComparison.Ordinal))
            {
                local.Add(document);
            }

            foreach (var info in reader.GetCustomDebugInformation(handle))
            {
                if (reader.GetGuid(reader.GetCustomDebugInformation(info).Kind) == s_embeddedSource)
                {
                    embedded++;
                }
            }
        }

        Check(what + ": source paths mapped (/_/)", documents > 0 && local.Count == 0, string.Join(", ", local.Take(3)));
        Check(what + ": sources embedded", documents > 0 && embedded == documents, $"{embedded} of {documents}");
    }

    private void CheckDll(string what, ZipArchiveEntry entry)
    {
        using var stream = new MemoryStream();
        using (var source = entry.Open())
        {
            source.CopyTo(stream);
        }

        stream.Position = 0;
        using var pe = new PEReader(stream);
        var codeView = pe.ReadDebugDirectory().Where(d => d.Type == DebugDirectoryEntryType.CodeView).ToList();
        var paths = codeView.Select(d => pe.ReadCodeViewDebugDirectoryData(d).Path).ToList();
        Check(what + ": PDB path mapped", paths.Count > 0 && paths.All(p => p.StartsWith("/_/", StringComparison.Ordinal) || !p.Contains('/')), string.Join(", ", paths));
    }
}
