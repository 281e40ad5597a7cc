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
    $passed = 0; $failed = 0; $skipped = 0
    foreach ($trx in Get-ChildItem -Path $results -Filter '*.trx' -ErrorAction SilentlyContinue) {
        [xml]$doc = Get-Content $trx.FullName
        $c = $doc.TestRun.ResultSummary.Counters
        $passed += [int]$c.passed
        $failed += [int]$c.failed + [int]$c.error + [int]$c.timeout + [int]$c.aborted
        # Skipped tests are counted in total but not in executed (notExecuted stays 0 for xunit skips).
        $skipped += [int]$c.total - [int]$c.executed
    }
    if ($exit -ne 0 -and $failed -eq 0) { $failed = 1 } # a crashed host counts as a failure
    Write-Host "tests: $passed passed, $failed failed, $skipped skipped"
    if ($failed -gt 0) { exit 1 }
}

switch ($Target) {
    'build' { Invoke-Dotnet @('build', 'Mongo.sln', '-c', $Configuration) }
    'test' { Invoke-Tests }
    'pack' { Invoke-Dotnet @('pack', 'Mongo.sln', '-c', $Configuration, '-o', (Join-Path $PSScriptRoot 'artifacts/packages')) }
    'bench' { Invoke-Dotnet (@('run', '-c', 'Release', '--project', 'benchmarks/Mongo.Benchmarks', '--') + $Rest) }
    'quickstart' { Invoke-Dotnet @('run', '-c', $Configuration, '--project', 'samples/Quickstart') }
}
