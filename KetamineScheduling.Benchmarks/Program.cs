using BenchmarkDotNet.Running;
using KetamineScheduling.Benchmarks;

// "bare-kestrel <body-file> <url>" serves fixed bytes for Load/api-load.sh; anything else runs BenchmarkDotNet.
if (args is ["bare-kestrel", var bodyFile, var url])
{
    await BareKestrel.RunAsync(bodyFile, url);
}
else
{
    BenchmarkSwitcher.FromAssembly(typeof(PlacementBenchmarks).Assembly).Run(args);
}
