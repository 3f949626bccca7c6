"""Character recognition: MRZ line recognisers behind one interface, and their cell geometry."""
