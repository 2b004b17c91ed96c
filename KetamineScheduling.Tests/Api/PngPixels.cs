using System.Buffers.Binary;
using System.IO.Compression;

namespace KetamineScheduling.Tests.Api;

/// <summary>
/// Just enough of a PNG decoder to count a screenshot's colours: 8-bit RGB or RGBA, not interlaced, as Chromium
/// writes its screenshots.
/// </summary>
internal static class PngPixels
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a];

    /// <summary>The picture's width and height, and how many different colours its pixels have.</summary>
    public static (int Width, int Height, int Colours) Colours(byte[] png)
    {
        Assert.True(png.AsSpan(0, 8).SequenceEqual(Signature), "Not a PNG file.");
        var (width, height, channels) = (0, 0, 0);
        using var compressed = new MemoryStream();
        for (var at = 8; at < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            var type = System.Text.Encoding.ASCII.GetString(png, at + 4, 4);
            var data = png.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                (width, height) = (BinaryPrimitives.ReadInt32BigEndian(data), BinaryPrimitives.ReadInt32BigEndian(data[4..]));
                Assert.True(data[8] == 8 && data[9] is 2 or 6 && data[12] == 0, $"Only 8-bit RGB(A) without interlacing is read; this is depth {data[8]}, colour type {data[9]}, interlace {data[12]}.");
                channels = data[9] == 6 ? 4 : 3;
            }
            else if (type == "IDAT")
            {
                compressed.Write(data);
            }

            at += 12 + length;
        }

        compressed.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionMode.Decompress))
        {
            zlib.CopyTo(inflated);
        }

        var raw = inflated.ToArray();
        var stride = width * channels;
        var previous = new byte[stride];
        var line = new byte[stride];
        var colours = new HashSet<int>();
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            raw.AsSpan(y * (stride + 1) + 1, stride).CopyTo(line);
            for (var i = 0; i < stride; i++)
            {
                int left = i >= channels ? line[i - channels] : 0, up = previous[i], upLeft = i >= channels ? previous[i - channels] : 0;
                line[i] = (byte)(line[i] + filter switch
                {
                    0 => 0,
                    1 => left,
                    2 => up,
                    3 => (left + up) / 2,
                    4 => Paeth(left, up, upLeft),
                    _ => throw new InvalidDataException($"Unknown PNG filter {filter}."),
                });
            }

            for (var x = 0; x < stride; x += channels)
            {
                colours.Add(line[x] << 16 | line[x + 1] << 8 | line[x + 2]);
            }

            (previous, line) = (line, previous);
        }

        return (width, height, colours.Count);
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var (pa, pb, pc) = (Math.Abs(p - a), Math.Abs(p - b), Math.Abs(p - c));
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
