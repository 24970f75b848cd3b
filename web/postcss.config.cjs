// Mantine's CSS uses its own mixins and rem() helpers; this preset expands them.
module.exports = {
  plugins: {
    'postcss-preset-mantine': {},
  },
};
