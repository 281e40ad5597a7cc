#!/usr/bin/env pwsh
# Build entry point: dotnet tool restore; dotnet pwsh build.ps1 <target>
# Targets: build, test, pack, bench, quickstart
param(
    [Parameter(Position = 0)][ValidateSet('build', 'test', 'pack', 'bench', 'quickstart')][string]$Target = 'build',
    [string]$Configuration = 'Release',
    # Extra arguments passed to `dotnet test` (e.g. --filter) or to the benchmark program.
    [Parameter(ValueFromRemainingArguments = $true)][string[]]$Rest = @()
)
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'

function Invoke-Dotnet([string[]]$Arguments) {
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

function Invoke-Tests {
    $results = Join-Path $PSScriptRoot 'artifacts/test-results'
    if (Test-Path $results) { Remove-Item -Recurse -Force $results }
    Invoke-Dotnet @('build', 'Mongo.sln', '-c', $Configuration)
    # Run each test project on its own so one crashing host cannot hide the others' results.
    $projects = Get-ChildItem -Path tests -Recurse -Filter '*.Tests.csproj' | Sort-Object FullName
    $exit = 0
    foreach ($p in $projects) {
        & dotnet test $p.FullName -c $Configuration --no-build --logger 'trx' --logger 'console;verbosity=minimal' --results-directory $results @Rest
        if ($LASTEXITCODE -ne 0) { $exit = $LASTEXITCODE }
    }
    # Packed before the .NET 8 run below, which restores the test projects for net8.0 only.
    $packages = Invoke-PackageCheck -NoBuild:$true -Deterministic:($env:CI -eq 'true')
    # The libraries ship net8.0 too, and this machine has only the .NET 10 runtime: these test projects run once more on
    # .NET 8, self-contained with the runtime pack from NuGet (Directory.Build.props): the BSON layer, Mongo.InMemory,
    # GridFS, the DI/health-check packages, and the driver without its long suites (to keep CI under its budget): the
    # retryable-reads/writes, transactions, CSOT, SDAM and server-selection-logging unified suites (about two thirds of
    # the driver suite's time), the replica-set soak tests, the pool stress test and the RunCursorCommand timeout tests
    # (seconds of blocked getMores each, logic that does not differ by runtime). Everything else of the driver runs,
    # its CRUD, sessions, command-monitoring/logging and format unified suites included. The samples' tests and the
    # OpenTelemetry SDK test run on .NET 10 only (see tests/Mongo.Driver.Tests/Mongo.Driver.Tests.csproj).
    $driverNet8 = 'FullyQualifiedName!~Mongo.Driver.Tests.Unified.RetryableReadsUnifiedTests&FullyQualifiedName!~Mongo.Driver.Tests.Unified.RetryableWritesUnifiedTests' +
        '&FullyQualifiedName!~Mongo.Driver.Tests.Unified.TransactionsUnifiedTests&FullyQualifiedName!~Mongo.Driver.Tests.Unified.CsotUnifiedTests' +
        '&FullyQualifiedName!~Mongo.Driver.Tests.Unified.SdamUnifiedTests&FullyQualifiedName!~Mongo.Driver.Tests.Unified.ServerSelectionLoggingUnifiedTests' +
        '&FullyQualifiedName!~SoakTests&FullyQualifiedName!~Mongo.Driver.Tests.Pooling.PoolStressTests&FullyQualifiedName!~RunCursorCommandTimeoutTests'
    $userFilter = $Rest -contains '--filter'
    $net8Projects = @('tests/Mongo.Bson.Tests', 'tests/Mongo.InMemory.Tests', 'tests/Mongo.GridFS.Tests', 'tests/Mongo.Extensions.Tests', 'tests/Mongo.Driver.Tests')
    # One restore and one build for the five (a solution filter), not one per `dotnet test`: MSBuild then evaluates the
    # shared libraries once and compiles the test projects side by side on both cores.
    $net8Build = Invoke-Net8Build $net8Projects
    foreach ($p in $net8Projects) {
        Write-Host "net8.0: $p"
        # A --filter given to build.ps1 applies as is; otherwise the driver runs the subset above.
        $subset = if ($p -eq 'tests/Mongo.Driver.Tests' -and -not $userFilter) { @('--filter', $driverNet8) } else { @() }
        # Built above; should that build have failed, each project builds (and reports its errors) on its own.
        # @(...) keeps it an array: a one-element array returned by an if would unroll to a string and splat as characters.
        $noBuild = @(if ($net8Build) { '--no-build' })
        & dotnet test $p -c $Configuration -p:MongoTestTargetFramework=net8.0 @noBuild --logger 'trx' --logger 'console;verbosity=minimal' --results-directory (Join-Path $results 'net8.0') @subset @Rest
        if ($LASTEXITCODE -ne 0) { $exit = $LASTEXITCODE }
    }
    $passed = 0; $failed = 0; $skipped = 0
    foreach ($trx in Get-ChildItem -Path $results -Filter '*.trx' -Recurse -ErrorAction SilentlyContinue) {
        [xml]$doc = Get-Content $trx.FullName
        $c = $doc.TestRun.ResultSummary.Counters
        $passed += [int]$c.passed
        $failed += [int]$c.failed + [int]$c.error + [int]$c.timeout + [int]$c.aborted
        # Skipped tests are counted in total but not in executed (notExecuted stays 0 for xunit skips).
        $skipped += [int]$c.total - [int]$c.executed
    }
    if ($exit -ne 0 -and $failed -eq 0) { $failed = 1 } # a crashed host counts as a failure
    Write-FailedTests $results
    $aot = Invoke-AotSmoke
    $passed += $aot.Passed; $failed += $aot.Failed; $skipped += $aot.Skipped
    $passed += $packages.Passed; $failed += $packages.Failed
    Write-Host "tests: $passed passed, $failed failed, $skipped skipped"
    if ($failed -gt 0) { exit 1 }
}

# Builds the given test projects for the .NET 8 run in one MSBuild invocation, through a solution filter written under
# artifacts/. True when the build succeeded.
function Invoke-Net8Build([string[]]$Projects) {
    $filter = Join-Path $PSScriptRoot 'artifacts/net8-tests.slnf'
    New-Item -ItemType Directory -Force -Path (Split-Path $filter) | Out-Null
    $paths = @($Projects | ForEach-Object { "$_/$(Split-Path $_ -Leaf).csproj" })
    @{ solution = @{ path = '../Mongo.sln'; projects = $paths } } | ConvertTo-Json -Depth 3 | Set-Content -Path $filter -Encoding utf8
    # Out-Host: the build log goes to the console, not into the value this function returns.
    & dotnet build $filter -c $Configuration -p:MongoTestTargetFramework=net8.0 | Out-Host
    return $LASTEXITCODE -eq 0
}

# CI shows only the end of the log, so the failed tests' names and first message lines are repeated here, just above
# the summary line, where they cannot scroll away behind thousands of skip lines.
function Write-FailedTests([string]$Results) {
    foreach ($trx in Get-ChildItem -Path $Results -Filter '*.trx' -Recurse -ErrorAction SilentlyContinue) {
        [xml]$doc = Get-Content $trx.FullName
        foreach ($r in $doc.TestRun.Results.UnitTestResult) {
            if ($r.outcome -ne 'Failed') { continue }
            $message = "$($r.Output.ErrorInfo.Message)" -replace '\s+', ' '
            if ($message.Length -gt 400) { $message = $message.Substring(0, 400) + '...' }
            Write-Host "failed: $($r.testName)"
            Write-Host "  $message"
        }
    }
}

# Publishes samples/NativeAot with PublishAot (zero trim/AOT warnings allowed) and runs it twice: with its generated
# context it must succeed; with the reflection fallback (switched off in AOT apps) it must fail with the error that
# names [BsonSerializable]. Counted as two tests; skipped with a reason where no native toolchain is installed.
function Invoke-AotSmoke {
    $result = @{ Passed = 0; Failed = 0; Skipped = 0 }
    if (-not (Get-Command clang -ErrorAction SilentlyContinue)) {
        Write-Host 'aot: skipped 2 (clang not installed; .ci/run installs clang, lld and zlib1g-dev)'
        $result.Skipped = 2
        return $result
    }
    $out = Join-Path $PSScriptRoot 'artifacts/aot'
    $log = & dotnet publish samples/NativeAot/NativeAot.csproj -c Release -r linux-x64 -o $out 2>&1
    $warnings = @($log | Select-String -Pattern 'warning (IL|AOT)\d+' | ForEach-Object { $_.Line } | Sort-Object -Unique)
    if ($LASTEXITCODE -ne 0 -or $warnings.Count -gt 0) {
        $log | Select-Object -Last 40 | Write-Host
        Write-Host "aot: publish failed or reported $($warnings.Count) trim/AOT warning(s)"
        $result.Failed = 2
        return $result
    }
    $exe = Join-Path $out 'NativeAot'
    $run = & $exe 2>&1
    $run | Write-Host
    if ($LASTEXITCODE -eq 0) { $result.Passed++ } else { Write-Host 'aot: the published sample failed'; $result.Failed++ }
    $fallback = (& $exe --without-context 2>&1) -join "`n"
    if ($LASTEXITCODE -ne 0 -and $fallback -match 'BsonSerializable') { $result.Passed++ }
    else { Write-Host "aot: without its context the sample must fail naming [BsonSerializable]; it printed: $fallback"; $result.Failed++ }
    Write-Host "aot: $($result.Passed) passed, $($result.Failed) failed"
    return $result
}

# Packs every packable project into artifacts/packages and runs tools/PackageCheck over the result: metadata, the
# package's own README, both target frameworks, the tool's command, and (for a deterministic CI build) no local path in
# any PDB or DLL and sources embedded in every PDB. Counted as one test per check.
function Invoke-PackageCheck([switch]$NoBuild, [switch]$Deterministic) {
    $result = @{ Passed = 0; Failed = 0 }
    $out = Join-Path $PSScriptRoot 'artifacts/packages'
    if (Test-Path $out) { Remove-Item -Recurse -Force $out }
    $arguments = @('pack', 'Mongo.sln', '-c', $Configuration, '-o', $out)
    if ($NoBuild) { $arguments += '--no-build' }
    if ($Deterministic) { $arguments += '-p:ContinuousIntegrationBuild=true' }
    $log = & dotnet @arguments 2>&1
    if ($LASTEXITCODE -ne 0) {
        $log | Select-Object -Last 40 | Write-Host
        Write-Host 'packages: dotnet pack failed'
        $result.Failed = 1
        return $result
    }
    $check = @('run', 'tools/PackageCheck/PackageCheck.cs', '--', $out)
    if ($Deterministic) { $check += '--deterministic' }
    $lines = & dotnet @check 2>&1
    $lines | Where-Object { "$_" -notmatch '^ok: ' } | Write-Host
    $summary = $lines | Select-String -Pattern '^packages: (\d+) passed, (\d+) failed' | Select-Object -Last 1
    if ($null -eq $summary) { Write-Host 'packages: the check did not run'; $result.Failed = 1; return $result }
    $result.Passed = [int]$summary.Matches[0].Groups[1].Value
    $result.Failed = [int]$summary.Matches[0].Groups[2].Value
    return $result
}

switch ($Target) {
    'build' { Invoke-Dotnet @('build', 'Mongo.sln', '-c', $Configuration) }
    'test' { Invoke-Tests }
    'pack' {
        # Release packages are always deterministic: source paths mapped to /_/ whatever machine builds them.
        $packages = Invoke-PackageCheck -Deterministic:$true
        if ($packages.Failed -gt 0) { exit 1 }
    }
    'bench' { Invoke-Dotnet (@('run', '-c', 'Release', '--project', 'benchmarks/Mongo.Benchmarks', '--') + $Rest) }
    'quickstart' { Invoke-Dotnet @('run', '-c', $Configuration, '--project', 'samples/Quickstart') }
}
