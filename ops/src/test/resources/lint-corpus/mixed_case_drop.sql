-- expect: VL102
Drop Table APP.Runs;
