using System.Runtime.InteropServices;
using ArtifactBuildTools.Action;

// `docker stop` (a cancelled job) sends SIGTERM: cancel the transfer so a push never moves tags half-way.
using var cancellation = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    cancellation.Cancel();
});
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

return await ActionRunner.RunAsync(ActionEnvironment.FromProcess(), Console.Out, cancellation.Token).ConfigureAwait(false);
