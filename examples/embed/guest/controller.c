// The guest of examples/embed: a sensor -> filter -> actuator loop, the kind of plug-in a
// firmware runs. Freestanding C (no libc): the host provides the two functions below.
// Built by build.sh; the host (../src/main.rs) computes the same checksum natively.

__attribute__((import_module("env"), import_name("sensor_read")))
float sensor_read(int channel);

__attribute__((import_module("env"), import_name("actuate")))
void actuate(int channel, float value);

#define CHANNELS 4
#define WINDOW 16

// Each channel's last WINDOW readings, in linear memory.
static float history[CHANNELS][WINDOW];
static unsigned pos;

// Runs `steps` control steps: each reads every channel, averages its window, drives the
// actuator with a blend of the average and the new reading. Returns a checksum of the
// outputs in thousandths.
__attribute__((export_name("run")))
long long run(int steps) {
    long long checksum = 0;
    for (int s = 0; s < steps; s++) {
        for (int c = 0; c < CHANNELS; c++) {
            float x = sensor_read(c);
            history[c][pos % WINDOW] = x;
            float sum = 0.0f;
            for (int i = 0; i < WINDOW; i++) {
                sum += history[c][i];
            }
            float out = 0.5f * (sum / WINDOW) + 0.5f * x;
            actuate(c, out);
            checksum += (long long)(out * 1000.0f);
        }
        pos++;
    }
    return checksum;
}
