using Engine.Native;
using Engine.Native.Interop;
using Engine.Native.Tun;
using Xunit;

namespace Engine.Tests.Native;

/// <summary>
/// The fallback logic against kernels this machine is not: a model of tun.c's set_offload,
/// which refuses the whole call for one bit it does not consume. The kernel here is tested in
/// Engine.IntegrationTests (TunOffloadTests).
/// </summary>
public class TunOffloadNegotiationTests
{
    private const TunOffloads Tso = TunOffloads.Checksum | TunOffloads.Tso4 | TunOffloads.Tso6;
    private const TunOffloads Everything = Tso | TunOffloads.TsoEcn | TunOffloads.Uso4 | TunOffloads.Uso6;

    /// <summary>set_offload as of Linux 6.2, or before it (no USO).</summary>
    private sealed class ModelKernel(bool knowsUso = true)
    {
        public TunOffloads Device { get; private set; } = TunOffloads.Tso4;
        public List<TunOffloads> Calls { get; } = [];

        public int Set(TunOffloads offloads)
        {
            Calls.Add(offloads);
            var rest = offloads;
            if ((rest & TunOffloads.Checksum) != 0)
            {
                rest &= ~TunOffloads.Checksum;
                if ((rest & (TunOffloads.Tso4 | TunOffloads.Tso6)) != 0)
                    rest &= ~(TunOffloads.TsoEcn | TunOffloads.Tso4 | TunOffloads.Tso6);
                rest &= ~TunOffloads.Ufo;
                if (knowsUso && (rest & TunOffloads.Uso4) != 0 && (rest & TunOffloads.Uso6) != 0)
                    rest &= ~(TunOffloads.Uso4 | TunOffloads.Uso6);
            }
            if (rest != TunOffloads.None)
                return Errno.EINVAL;
            Device = offloads;
            return 0;
        }
    }

    [Fact]
    public void A_kernel_that_knows_everything_is_asked_once()
    {
        var kernel = new ModelKernel();

        Assert.Equal(Everything, TunOffloadNegotiation.Negotiate(Everything, "t0", kernel.Set));
        Assert.Equal([Everything], kernel.Calls);
        Assert.Equal(Everything, kernel.Device);
    }

    [Fact]
    public void A_kernel_before_uso_grants_the_rest()
    {
        var kernel = new ModelKernel(knowsUso: false);

        var granted = TunOffloadNegotiation.Negotiate(Everything, "t0", kernel.Set);

        Assert.Equal(Tso | TunOffloads.TsoEcn, granted);
        Assert.Equal(granted, kernel.Device);
        Assert.Contains(Tso | TunOffloads.TsoEcn | TunOffloads.Uso4 | TunOffloads.Uso6, kernel.Calls);
    }

    [Fact]
    public void An_unknown_bit_is_left_out()
    {
        var kernel = new ModelKernel();
        var unknown = (TunOffloads)(1u << 30);

        Assert.Equal(Tso, TunOffloadNegotiation.Negotiate(Tso | unknown, "t0", kernel.Set));
        Assert.Equal(Tso, kernel.Device);
    }

    [Fact]
    public void Uso_is_asked_for_as_a_pair_and_one_half_alone_is_refused()
    {
        var pair = new ModelKernel();
        var half = new ModelKernel();

        Assert.Equal(TunOffloads.Checksum | TunOffloads.Uso4 | TunOffloads.Uso6,
            TunOffloadNegotiation.Negotiate(TunOffloads.Checksum | TunOffloads.Uso4 | TunOffloads.Uso6 | (TunOffloads)0x8000, "t0", pair.Set));
        Assert.Equal(TunOffloads.Checksum, TunOffloadNegotiation.Negotiate(TunOffloads.Checksum | TunOffloads.Uso4, "t0", half.Set));
    }

    [Fact]
    public void Without_checksum_offload_nothing_is_granted_and_earlier_offloads_are_cleared()
    {
        var kernel = new ModelKernel();
        Assert.Equal(TunOffloads.Tso4, kernel.Device);

        Assert.Equal(TunOffloads.None, TunOffloadNegotiation.Negotiate(TunOffloads.Tso4 | TunOffloads.Tso6, "t0", kernel.Set));
        Assert.Equal(TunOffloads.None, kernel.Device);
    }

    [Fact]
    public void Ufo_is_never_asked_for_nor_reported()
    {
        var kernel = new ModelKernel();

        Assert.Equal(Tso, TunOffloadNegotiation.Negotiate(Tso | TunOffloads.Ufo, "t0", kernel.Set));
        Assert.All(kernel.Calls, call => Assert.Equal(TunOffloads.None, call & TunOffloads.Ufo));
    }

    [Fact]
    public void An_error_other_than_einval_is_thrown_with_the_device_name()
    {
        var error = Assert.Throws<NativeException>(() => TunOffloadNegotiation.Negotiate(Tso, "tun-x", _ => Errno.EBADF));
        Assert.Equal(Errno.EBADF, error.Errno);
        Assert.Equal("tun-x", error.Target);
    }
}
