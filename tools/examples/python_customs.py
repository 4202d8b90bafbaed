"""A customs inspection written in Python: the twin of the C++ `customs_inspection` with random
selection (models/policies/customs_inspection.cpp), draw for draw, so a scenario gives the same
numbers with either (tests/python/test_chiptrail.py checks). Use it as the pattern for a new
mechanism:

    import chiptrail
    from python_customs import PythonCustoms
    s = chiptrail.load("my.textproto", policies={"python_customs": PythonCustoms})

with, in the scenario, `policies { name: "..." custom { kind: "python_customs" parameters { key:
"inspection_rate" value: 0.05 } ... } }`. The parameters are the class's keyword arguments.
"""
import chiptrail


class PythonCustoms:
    """Each consignment reaching a border crossing or transit hub in scope is selected with
    `inspection_rate`; an inspection finds a diverted one with `detection_probability`, or
    `relabelled_detection_probability` when it is declared as other goods, and wrongly holds a
    legitimate one with `false_positive_probability`; one selected and not found is refused
    entry with `turn_back_probability`. One unit of effort per inspection."""

    def __init__(self, inspection_rate, detection_probability, relabelled_detection_probability=0.0,
                 false_positive_probability=0.0, turn_back_probability=0.0):
        self.inspection_rate = inspection_rate
        self.detection_probability = detection_probability
        self.relabelled_detection_probability = relabelled_detection_probability
        self.false_positive_probability = false_positive_probability
        self.turn_back_probability = turn_back_probability

    def on_border(self, call):
        # The C++ policy's draws, in its order, all always taken (common random numbers).
        selected = call.bernoulli(self.inspection_rate)
        found = call.uniform()
        turned = call.uniform()
        if not selected:
            return None
        if not call.diverted:
            p = self.false_positive_probability
        elif call.relabelled:
            p = self.relabelled_detection_probability
        else:
            p = self.detection_probability
        if found < p:
            return chiptrail.Decision("seize", effort=1)
        return chiptrail.Decision("turn_back" if turned < self.turn_back_probability else "pass",
                                  effort=1)
