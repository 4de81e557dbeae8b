"""Computing figures from a query function: the read model (`View`) of a pin and its parts."""
